// The media library in the app: where pictures are kept (`app.mediaStorage`: local
// folders, or an S3-compatible bucket with MEDIA_STORAGE=s3), the
// signer of private-picture grants, the variant and legacy-original jobs, and
// the routes. Who may see a private picture is decided by the modules that own
// one (the prize's entries), through `app.privatePictures.allow`. A deleted
// account's private pictures go with it.
import fp from 'fastify-plugin';
import type { MediaRoutesOptions } from './media.routes.js';
import { mediaRoutes } from './media.routes.js';
import { mediaLibraryRoutes } from './library.routes.js';
import { discardPrivatePicturesOf, mediaJobHandlers, scheduleLegacyOriginals } from './media.service.js';
import { servePublicPicturesFrom } from './picture.js';
import { PictureSigner } from './signing.js';
import { mediaStorageFor, type MediaStorage } from './storage.js';

type PrivatePictureRule = MediaRoutesOptions['canViewPrivate'];

/** The rules that let a viewer see a private picture: any one of them is enough. */
export class PrivatePictureRules {
  private readonly rules: PrivatePictureRule[] = [];

  allow(rule: PrivatePictureRule): void {
    this.rules.push(rule);
  }

  readonly mayView: PrivatePictureRule = async (viewer, mediaId) => {
    for (const rule of this.rules) if (await rule(viewer, mediaId)) return true;
    return false;
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    mediaStorage: MediaStorage;
    pictureSigner: PictureSigner;
    privatePictures: PrivatePictureRules;
  }
}

export const mediaPlugin = fp(
  async (app) => {
    const { db, config } = app;
    // Originals and private pictures live beside the database (or under private/ in the bucket), never under MEDIA_DIR.
    const storage = mediaStorageFor(config);
    servePublicPicturesFrom(config.media.storage === 's3' ? config.media.publicUrl : null);
    const signer = new PictureSigner(app.siteSecret);
    const privatePictures = new PrivatePictureRules();
    app.decorate('mediaStorage', storage);
    app.decorate('pictureSigner', signer);
    app.decorate('privatePictures', privatePictures);
    app.addHook('onClose', async () => storage.close());
    // /readyz asks whether the bucket answers (the readiness registry comes with the health plugin).
    const readiness = (app as unknown as { readiness?: { register(name: string, check: () => Promise<unknown>): void } }).readiness;
    if (storage.kind === 's3' && readiness) readiness.register('storage', () => storage.ready());
    app.accounts.onDelete(async (trx, account) => void (await discardPrivatePicturesOf(trx, storage, account.userId)));
    for (const [kind, handler] of Object.entries(mediaJobHandlers(db, storage, { concurrency: 1 }))) app.jobs.register(kind, handler);
    // Pictures stored before originals were private get a stripped master; their originals leave MEDIA_DIR.
    await scheduleLegacyOriginals(db);
    await app.register(mediaRoutes, { db, storage, signer, canViewPrivate: privatePictures.mayView });
    await app.register(mediaLibraryRoutes, { pageContext: app.pageContext, storage });
  },
  { name: 'harbinger-media', dependencies: ['harbinger-accounts', 'harbinger-jobs', 'harbinger-pages'] },
);
