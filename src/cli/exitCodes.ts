/** What `hygge` exits with; scripts and schedulers depend on these. */
export const EXIT_OK = 0;
/** the run completed, but at least one entity failed (the others were still run) */
export const EXIT_ENTITY_FAILED = 1;
/** the configuration or the command line is wrong; nothing was run */
export const EXIT_USAGE = 2;
/** cancelled with Ctrl-C (128 + SIGINT, as shells report it) */
export const EXIT_INTERRUPTED = 130;
