/** An error a worker thread reports as "the file changed" (FileChangedError on the main thread). */
export class SourceChangedError extends Error {
  readonly label: string;

  constructor(label: string, reason: string) {
    super(reason);
    this.label = label;
  }
}
