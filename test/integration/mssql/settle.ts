/**
 * The stand-in counts a session closed when it sees the socket end, a moment after the
 * client's close() resolves: wait (bounded) for the count to settle before asserting on it.
 */
export async function settledSessions(counters: { currentSessions: number }, within = 5000): Promise<number> {
  const deadline = Date.now() + within;
  while (counters.currentSessions > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return counters.currentSessions;
}
