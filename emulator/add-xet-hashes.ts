import type { TreeEntry } from "./tree-entries.js";
import type { XetCas } from "./xet/xet-cas.js";

/**
 * Tree and paths-info entries with the `xetHash` of each LFS file the Xet storage holds, which clients
 * download through Xet without asking resolve first (huggingface_hub's tree cache). Added per answer,
 * not kept in the cached listings: an LFS file gets its Xet hash once converted.
 */
export function addXetHashes(entries: readonly TreeEntry[], xet: XetCas | undefined): TreeEntry[] {
  return entries.map((entry) => {
    const file = entry.lfs && xet?.fileBySha256(entry.lfs.oid);
    return file && file.size === entry.lfs?.size ? { ...entry, xetHash: file.hash } : entry;
  });
}
