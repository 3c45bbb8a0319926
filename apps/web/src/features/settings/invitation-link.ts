/** The server gives a path; people share a full address, so prefix this console's origin. */
export function invitationLink(path: string, origin: string = window.location.origin): string {
  return new URL(path, origin).toString();
}
