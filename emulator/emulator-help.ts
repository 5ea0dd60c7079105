/** `process-artifacts-hub --help`. */
export const EMULATOR_HELP = `Usage: process-artifacts-hub [options]

A local Hugging Face Hub for tests: model and dataset repos (each starts with the Hub's "initial
commit"), uploads (preupload, LFS, Xet, commits), branches, tags, discussions and pull requests,
history, super-squash, moves, listings and settings, and storage buckets, on loopback only. It never
proxies anywhere. Xet storage follows the Xet protocol specification (its CAS answers under
URL/__xet), so a default "pip install huggingface_hub" (with hf_xet) uploads and downloads through
Xet with no extra setting.
Once listening it prints one JSON line on stdout:
  {"url":"http://127.0.0.1:PORT","token":"hf_...","user":"alice","data":"/path"}
Point HF_ENDPOINT at "url" and HF_TOKEN at "token". Logs go to stderr. SIGTERM or SIGINT stops it
(exit 0). GET /__emulator/state lists every repo, ref, commit, file and bucket for assertions.

Options:
  --port N             port to listen on (default 0: a free port)
  --host HOST          127.0.0.1 (default), ::1 or localhost; nothing else is accepted
  --data DIR           keep repos, refs, commits and LFS objects in DIR and reload them on the next
                       start (default: a temp folder, removed on exit)
  --token TOKEN        the token clients must send (default: a freshly generated fake hf_ token)
  --user NAME          the token's user, owner of the NAME/ namespace (default alice)
  --fault-rate R       fail this fraction (0..1) of requests with 429, 500, 503 or a dropped connection
  --fault-route REGEX  only fault requests whose "METHOD /path" matches (e.g. "^PUT ")
  --seed N             seed of the fault choice: the same requests fail on every run (default 1)
  --latency-ms N       delay every request by N ms
  --lfs-threshold B    files of at least B bytes are LFS (default 10485760; files the repo's
                       .gitattributes marks, and binary files, always are)
  --no-xet             no Xet storage, like a Hub from before Xet: the LFS batch never answers "xet",
                       the xet-read-token and xet-write-token routes are 404, uploads go through LFS
  -h, --help           show this help

Exit codes: 0 stopped by a signal or --help; 1 could not start; 2 bad option.
`;
