/* The empty program: what starting and ending a static glibc process costs. */
int main(void) { return 0; }
