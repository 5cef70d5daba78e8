/**
 * tedious 20 declares engines node >= 22 and calls Promise.withResolvers (new in Node 22);
 * this repository runs on Node 20 (and has pinned tedious 19 for that reason). Importing the
 * stand-in installs the standard polyfill, so the tests also work should tedious 20 return.
 */
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (v: T | PromiseLike<T>) => void; reject: (e?: unknown) => void };

const P = Promise as unknown as { withResolvers?: WithResolvers };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = <T>() => {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export {};
