import type { AppConfig as Shape } from './config.js';

/**
 * The validated configuration as an injectable token: an abstract class gives DI a runtime
 * token and services a typed view, without a second copy of the shape.
 */
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface AppConfig extends Shape {}
