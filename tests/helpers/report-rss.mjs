// Preloaded (node --import) into a child whose peak memory a test or the benchmark wants: at exit,
// writes the process's maximum resident set size in bytes to $REPORT_RSS_FILE.
import { writeFileSync } from "node:fs";

const target = process.env.REPORT_RSS_FILE;
if (target) {
  process.on("exit", () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
