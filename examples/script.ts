/** What every runnable example needs. */

/** Whether the module at `url` is the script node was asked to run (so importing an example runs nothing). */
export const isMain = (url: string): boolean => process.argv[1] !== undefined && url.endsWith(process.argv[1].replace(/\\/g, "/"))
