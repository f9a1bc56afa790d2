/**
 * A server in a fleet: joining a controller, the outbox of scan results, changes and rejections it
 * pushes, the repair requests it pulls and decides by its own policy, and the daemon's loop.
 */
export { joinFleet, type JoinDeps, type JoinInput } from './join';
export { syncWithController, ACKED_SEQ, LAST_CONTACT, type SyncDeps, type SyncReport } from './sync';
export { collectOutbox, type CollectDeps, type Collected } from './collect';
export { handleRequests, settleRequests, type RequestDeps } from './requests';
export { decideRequest, type Decision } from './policy';
export { startFleetAgent, type FleetAgent, type FleetAgentDeps } from './agent';
export { domainRowOf, changeRowOf, rejectionRowOf } from './entries';
