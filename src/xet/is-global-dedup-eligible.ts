/**
 * Whether a chunk can be found by a global-dedup query by its hash alone (xet-core
 * hash_is_global_dedup_eligible: the hash's last little-endian u64 is 0 modulo 1024). hf_xet queries
 * such chunks and the first chunk of each file; a server indexes the same ones (plus chunks flagged in
 * the shard) so those queries find them.
 */
export function isGlobalDedupEligible(chunkHash: Uint8Array): boolean {
  return (((chunkHash[24] ?? 0) | ((chunkHash[25] ?? 0) << 8)) & 1023) === 0;
}
