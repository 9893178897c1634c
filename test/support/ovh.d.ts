/** The parts of the official `ovh` npm client (untyped CommonJS) that the tests use. */
declare module "ovh" {
  interface OvhClient {
    signRequest(method: string, url: string, body: string, timestamp: number | string): string
    requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>
  }
  const create: (options: Record<string, unknown>) => OvhClient
  export default create
}
