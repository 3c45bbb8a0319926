// Mirrors the server's rule so the user learns it before a round trip; the server still decides.
export const minPasswordLength = 8;
