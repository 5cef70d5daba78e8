/**
 * The Functions app's entry point ("main" in package.json): loading it registers every
 * function. One module per family; each registers itself when imported.
 */
import { app } from '@azure/functions';
import { closeAllRunEnvs } from './activities/runEnvCache';
import './http/runs';
import './timers/schedules';
import './orchestrators/run';
import './orchestrators/lane';
import './activities/plan';
import './activities/runEntity';

// Pools and clients of runs still open in this worker are released when the host stops it.
app.hook.appTerminate(() => closeAllRunEnvs());
