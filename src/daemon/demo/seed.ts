/** The demo's simulated server lives with the simulator (one seed for the demo and every test). */
export {
  demoSeed,
  DEMO_AUTH_ID,
  DEMO_IP,
  DEMO_NAMESERVERS,
  DEMO_ROOT_TOKEN,
  DEMO_SENDER_ID_TEMPLATE,
  DEMO_TOKENS,
} from '../../simulator/demoSeed';
