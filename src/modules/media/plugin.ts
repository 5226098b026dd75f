// The media library in the app: where pictures are kept (`app.mediaDirs`), the
// signer of private-picture grants, the variant and legacy-original jobs, and
// the routes. Who may see a private picture is decided by the modules that own
// one (the prize's entries), through `app.privatePictures.allow`. A deleted
// account's private pictures go with it.
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { MediaRoutesOptions } from './media.routes.js';
import { mediaRoutes } from './media.routes.js';
import { mediaLibraryRoutes } from './library.routes.js';
import { discardPrivatePicturesOf, mediaDirs, mediaJobHandlers, scheduleLegacyOriginals, type MediaDirs } from './media.service.js';
import { PictureSigner } from './signing.js';

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
    mediaDirs: MediaDirs;
    pictureSigner: PictureSigner;
    privatePictures: PrivatePictureRules;
  }
}

export const mediaPlugin = fp(
  async (app) => {
    const { db, config } = app;
    // Originals and private pictures (prize entries) live beside the database, never under MEDIA_DIR.
    const dirs = mediaDirs(config.mediaDir, join(config.dataDir, 'private-media'));
    const signer = new PictureSigner(app.siteSecret);
    const privatePictures = new PrivatePictureRules();
    app.decorate('mediaDirs', dirs);
    app.decorate('pictureSigner', signer);
    app.decorate('privatePictures', privatePictures);
    app.accounts.onDelete(async (trx, account) => void (await discardPrivatePicturesOf(trx, dirs, account.userId)));
    for (const [kind, handler] of Object.entries(mediaJobHandlers(db, dirs, { concurrency: 1 }))) app.jobs.register(kind, handler);
    // Pictures stored before originals were private get a stripped master; their originals leave MEDIA_DIR.
    await scheduleLegacyOriginals(db);
    await app.register(mediaRoutes, { db, dirs, signer, canViewPrivate: privatePictures.mayView });
    await app.register(mediaLibraryRoutes, { pageContext: app.pageContext, dirs });
  },
  { name: 'harbinger-media', dependencies: ['harbinger-accounts', 'harbinger-jobs', 'harbinger-pages'] },
);
