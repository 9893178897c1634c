/** What a Promise rejected with, for tests of the Promise facades; a Promise that resolves fails the test. */
export const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error("expected the promise to reject")
}
