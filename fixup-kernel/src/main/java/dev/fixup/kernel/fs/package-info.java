/**
 * Files: the guest's tree resolved by a path walk that cannot leave its root (host files,
 * devices, /proc), open files and descriptor tables, pipes, the terminal with its line
 * discipline, and the file and path-name system calls.
 */
package dev.fixup.kernel.fs;
