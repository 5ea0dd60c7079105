export { seededRandom } from "../../emulator/seeded-random.js";
