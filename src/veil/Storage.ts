/**
 * Virtual disks and the library (backups, images, uploaded files).
 *
 * @since 0.1.0
 */
import type { Effect, Scope } from "effect"
import * as Collection from "./Collection.js"
import { VDisk, VDiskRow } from "./Infrastructure.js"
import { LibraryFile } from "./Records.js"
import type * as Rest from "./Rest.js"

const libraryFilters = { domain: "domain", datapool: "datapool" } as const

/** Virtual disk operations. */
export type VDisks = Collection.Collection<VDiskRow, VDisk, {}>

/** Library operations. */
export type Library = Collection.Collection<LibraryFile, LibraryFile, Collection.Filters<typeof libraryFilters>>

/** Builds the virtual disk operations of a session. */
export const makeVDisks = (veil: Rest.VeilRest): Effect.Effect<VDisks, never, Scope.Scope> =>
  Collection.make(veil, { prefix: "vdisks/", entityClass: "vdisk", row: VDiskRow, detail: VDisk, filters: {} })

/** Builds the library operations of a session. */
export const makeLibrary = (veil: Rest.VeilRest): Effect.Effect<Library, never, Scope.Scope> =>
  Collection.make(veil, { prefix: "library/", entityClass: "library", row: LibraryFile, detail: LibraryFile, filters: libraryFilters })
