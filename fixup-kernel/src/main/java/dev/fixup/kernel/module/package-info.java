/**
 * Loadable modules: an ELF32 relocatable object laid out in vmalloc space and relocated against
 * the kernel's exported symbols, its own exception table searched before the kernel's, and the
 * exported services that are Java (printk, kmalloc, misc devices).
 */
package dev.fixup.kernel.module;
