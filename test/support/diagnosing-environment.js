import { TestEnvironment } from 'jest-environment-node';

/**
 * Jest's node environment, plus one thing: when a test or hook fails, a suite that registered
 * `globalThis.__onTestFailure` (the browser helpers do) is asked to describe what it had open,
 * before the after-hooks close it.
 */
export default class DiagnosingEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name !== 'test_fn_failure' && event.name !== 'hook_failure') return;
    const describe = this.global.__onTestFailure;
    if (typeof describe !== 'function') return;
    const name = event.name === 'test_fn_failure' ? event.test.name : `${event.hook.type} hook`;
    try {
      await describe(name);
    } catch (e) {
      console.error(`could not describe the browser after the failure: ${e}`);
    }
  }
}
