export { seededRandom } from "../../tools/hub-emulator/seeded-random.js";
