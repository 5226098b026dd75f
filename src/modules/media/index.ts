// The media library: stored pictures, their responsive variants (made by the job
// queue), the <picture> markup the reader site uses for them, and private
// pictures (prize entries) served only to those allowed to see them.
export { mediaRoutes } from './media.routes.js';
export { mediaLibraryRoutes } from './library.routes.js';
export { listRecentPictures } from './library.repository.js';
export {
  storePicture,
  picturesByIds,
  inspectImage,
  publishPictures,
  discardPrivatePicture,
  discardPrivatePicturesOf,
  makeVariants,
  mediaJobHandlers,
  moveLegacyOriginals,
  scheduleLegacyOriginals,
  READER_UPLOAD_LIMITS,
  READER_UPLOADS_PER_HOUR,
  VARIANTS_JOB,
  type Picture,
  type PictureMeta,
  type UploadLimits,
} from './media.service.js';
export { PictureSigner, GRANT_TTL_MS } from './signing.js';
export { PictureTag, pictureUrl, shareImage, absolutePictureUrl, servePublicPicturesFrom } from './picture.js';
export {
  mediaDirs,
  mediaStorageFor,
  LocalMediaStorage,
  S3MediaStorage,
  contentTypeOf,
  parseMediaKey,
  MEDIA_FOLDERS,
  type MediaStorage,
  type MediaFolder,
} from './storage.js';
export { mediaPlugin, PrivatePictureRules } from './plugin.js';
export { mediaBundle, mediaKeyOf, MEDIA_BUNDLE_PATH, type MediaFile } from './bundle.js';
