/** The f8c version, stamped into generated files. Keep equal to package.json (a test checks). */
export const VERSION = '0.1.0';
