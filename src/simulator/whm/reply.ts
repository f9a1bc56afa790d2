/** What a WHM function returns on success; failures are thrown as SimApiError. */
export interface WhmReply {
  /** undefined → no `data` key (empty lists, §9.11). */
  data: unknown;
  /** `metadata.reason`; default `OK`. */
  reason?: string;
}
