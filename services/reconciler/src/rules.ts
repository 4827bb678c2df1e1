/** The attachment rules live in @rds-csi/attachment-rules, so the gateway's test fake decides exactly as they do. */
export * from '@rds-csi/attachment-rules';
