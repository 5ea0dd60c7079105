// Preloaded into child processes (node --import) that must not touch the network: every socket
// connect and DNS lookup is refused and written to $DENY_NETWORK_LOG, so a test can assert that
// nothing was even attempted. It also guarantees that a broken guard cannot reach the real Hub.
import { appendFileSync } from "node:fs";
import dns from "node:dns";
import net from "node:net";

const log = process.env.DENY_NETWORK_LOG;
const record = (line) => {
  if (log) {
    appendFileSync(log, `${line}\n`);
  }
};

net.Socket.prototype.connect = function denyConnect(options) {
  const target =
    typeof options === "object" && options !== null
      ? `${options.host ?? ""}:${options.port ?? options.path ?? ""}`
      : String(options);
  record(`connect ${target}`);
  throw new Error(`network access denied in this test (connect ${target})`);
};
const denyLookup = (host, ...rest) => {
  record(`lookup ${host}`);
  const callback = rest.at(-1);
  if (typeof callback === "function") {
    process.nextTick(() => callback(new Error(`DNS denied in this test (${host})`)));
  }
};
dns.lookup = denyLookup;
dns.promises.lookup = async (host) => {
  record(`lookup ${host}`);
  throw new Error(`DNS denied in this test (${host})`);
};
