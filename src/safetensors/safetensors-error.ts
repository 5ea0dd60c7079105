/** A safetensors file breaks a format rule; the message names the file and, where known, the tensor. */
export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}
