package dev.fixup.kernel.fs;

/**
 * A file whose read, write and ioctl take the user's pointer themselves, as a driver's
 * file_operations do in Linux: the syscall hands the pointer over untouched, and the driver
 * copies with the user-access routines (and their exception tables) or faults trying.
 */
interface UserBufferFile {
    int readUser(int buf, int count);

    int writeUser(int buf, int count);

    int ioctlUser(int cmd, int arg);
}
