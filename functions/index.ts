/**
 * The Functions app's entry point ("main" in package.json): loading it registers every
 * function. One module per family; each registers itself when imported.
 */
import './http/runs';
import './timers/schedules';
import './orchestrators/run';
import './orchestrators/lane';
import './activities/plan';
import './activities/runEntity';
