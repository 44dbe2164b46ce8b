/** The forwarder (agent/forwarder): sends what the store holds to the host, card by card, as the outcome table says. */
export { Forwarder, ForwarderOptionError, type ForwarderOptions, type FlushResult, type ForwarderCounters, type ForwarderState } from './forwarder.js';
export { answerOfError } from './answerOfError.js';
