/** The line that opens every upload on stderr, before anything is sent: the run, its repos and their sizes. */
export const ANNOUNCEMENT = /^Publishing \S+ to \S+ \(\d+ files?, [^)]+\)( and dataset \S+ \(\d+ files?, [^)]+\))?$/;

/** A progress line as printed without a terminal (a pipe, a CI log): a step's name, then its figures. */
export const PROGRESS_LINE = /^(Creating the repo|Checking files with the Hub|Hashing|Uploading|Committing)…/;
