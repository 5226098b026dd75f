// The media library: stored pictures, their responsive variants, and the
// <picture> markup the reader site uses for them.
export { mediaRoutes } from './media.routes.js';
export { mediaLibraryRoutes } from './library.routes.js';
export { storePicture, picturesByIds, inspectImage, type Picture, type PictureMeta } from './media.service.js';
export { PictureTag, shareImage } from './picture.js';
