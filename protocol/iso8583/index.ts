/**
 * ISO 8583:1987 codec (spec-driven, strict) and the loyalty profile.
 * This file is the folder's only public surface.
 */
export type { FieldKind, FieldPad, FieldSpec, LengthPrefix, MessageSpec } from './fieldSpec.js';
export type { Iso8583Fields, Iso8583Message } from './message.js';
export { Iso8583Error, type Iso8583ErrorCode } from './iso8583Error.js';
export { SPEC_1987 } from './spec87.js';
export { compileSpec } from './compiledSpec.js';
export { encode } from './encode.js';
export { decode } from './decode.js';
export { isMti } from './mti.js';
export { DEFAULT_MAX_FRAME, LengthPrefixedFramer, frame, type FramerOptions } from './lengthPrefixedFramer.js';
export { REDACTED_FIELDS, redact } from './redact.js';
export { DE39, RESPONSE_CODE_TEXT, isResponseCode, type ResponseCode } from './responseCodes.js';
export { decodeAdditionalAmounts, encodeAdditionalAmounts, type AdditionalAmount } from './additionalAmounts.js';
export { REWARD_ACCOUNT_TYPES_FIELD, checkOneTypePerEntry, decodeRewardAccountTypes, encodeRewardAccountTypes, isRewardAccountType } from './rewardAccountTypes.js';
export { fromRrn, toRrn } from './rrn.js';
export { REPLACEMENT_AMOUNTS_FIELD, decodeReplacementAmounts, encodeReplacementAmounts, replacementFor, type ReplacementAmounts } from './replacementAmounts.js';
export {
  ECHO_CODE,
  ENTRY_MODE_MAGSTRIPE,
  POINTS_CURRENCY,
  balanceRequest,
  burnRequest,
  earnAdvice,
  earnReversalAdvice,
  refundRequest,
  echoRequest,
  responseMti,
  responseTo,
  reversalAdvice,
  transmissionDateTime,
  type OriginalBurn,
  type OriginalEarn,
  type RequestBase,
  type ResponseAnswer,
  type TerminalIds,
} from './loyaltyProfile.js';
export { readRequest, readResponse, type CardRequest, type LoyaltyRequest, type LoyaltyResponse } from './loyaltyReaders.js';
