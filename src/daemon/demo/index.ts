/** The demo (`npm start`): simulator + demo DNS + daemon on loopback with the user picker. */
export { startDemo, type DemoOptions, type DemoHandle, type StartPowerDns } from './startDemo';
export { runDemo } from './run';
export { demoSeed, DEMO_AUTH_ID, DEMO_NAMESERVERS, DEMO_ROOT_TOKEN } from './seed';
