/**
 * The contract between a server and the fleet controller: message schemas (wire.ts) and request
 * signatures (signing.ts). Both ends import this folder and nothing else of each other.
 */
export * from './wire';
export * from './signing';
