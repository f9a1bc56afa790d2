/** The server's link to a fleet controller: the HTTP client and the credentials file. */
export { createFleetLink, enrollWithController, controllerBase, FleetRefusal, type FleetLink, type FleetClientOptions } from './client';
export { readFleetCredentials, writeFleetCredentials, type FleetCredentials } from './credentials';
