/** Following Exim's main log while the daemon runs (exactly-once hand-over to a sink). */
export { createFollower, type Follower, type FollowerOptions, type FollowSink, type FollowStatus } from './follower';
