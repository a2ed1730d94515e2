/* no_fixup.c - a module with a bug: it reads a user pointer directly, with no exception-table
 * entry. A good pointer works; a bad one faults in this module's code, the kernel finds no fixup
 * (not in this module's table, not in its own) and oopses: the oops names the module and the
 * offset, the calling task dies with SIGSEGV, and the kernel goes on with the next program.
 */
#include "fixup_module.h"

MODULE_NAME("no_fixup");

static ssize_t careless_write(const char *ubuf, size_t count)
{
    volatile const char *p = ubuf;
    int sum = 0;
    for (size_t i = 0; i < count; i++)
        sum += p[i];                /* no get_user, no __ex_table entry */
    return sum;
}

static const struct file_operations careless_fops = { .write = careless_write };
static struct miscdevice careless_dev = { 0, "no_fixup", &careless_fops };

int init_module(void)
{
    return misc_register(&careless_dev);
}

void cleanup_module(void)
{
    misc_deregister(&careless_dev);
}
