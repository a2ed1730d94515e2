/* Quicksort and heapsort of the same pseudo-random array; both must agree.
 * argv[1] = element count (default 20000). Prints checksums before and after. */
#include "rt.h"

static uint32_t rng = 12345;

static uint32_t next(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng ^ (rng >> 15);
}

static void swap(int32_t *a, int32_t *b)
{
    int32_t t = *a;
    *a = *b;
    *b = t;
}

/* Median-of-three Hoare quicksort; recurses on the smaller side. */
static void quicksort(int32_t *a, int lo, int hi)
{
    while (hi - lo > 16) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) swap(&a[mid], &a[lo]);
        if (a[hi] < a[lo]) swap(&a[hi], &a[lo]);
        if (a[hi] < a[mid]) swap(&a[hi], &a[mid]);
        int32_t pivot = a[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j)
                swap(&a[i++], &a[j--]);
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    for (int i = lo + 1; i <= hi; i++) { /* insertion sort for the small tail */
        int32_t v = a[i];
        int k = i - 1;
        while (k >= lo && a[k] > v) {
            a[k + 1] = a[k];
            k--;
        }
        a[k + 1] = v;
    }
}

static void sift(int32_t *a, int root, int n)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        if (a[root] >= a[child])
            return;
        swap(&a[root], &a[child]);
        root = child;
    }
}

static void heapsort(int32_t *a, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift(a, i, n);
    for (int i = n - 1; i > 0; i--) {
        swap(&a[0], &a[i]);
        sift(a, 0, i);
    }
}

/* Order-sensitive checksum: differs if any two elements trade places. */
static uint32_t checksum(const int32_t *a, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint32_t)a[i]) * 16777619u;
    return h;
}

static int sorted(const int32_t *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    int n = (int)parse_arg(argc, argv, 1, 20000);
    int32_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    if (n < 1 || !a || !b) {
        printf("bad size %d\n", n);
        return 2;
    }
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        a[i] = (int32_t)next() % 1000000; /* negative values too */
        sum += a[i];
    }
    memcpy(b, a, n * sizeof *a);
    printf("n %d sum %lld input %08x\n", n, sum, checksum(a, n));
    quicksort(a, 0, n - 1);
    heapsort(b, n);
    printf("quicksort %08x sorted %d\n", checksum(a, n), sorted(a, n));
    printf("heapsort  %08x sorted %d\n", checksum(b, n), sorted(b, n));
    printf("min %d median %d max %d\n", a[0], a[n / 2], a[n - 1]);
    int same = memcmp(a, b, n * sizeof *a) == 0;
    printf("agree %d\n", same);
    return same && sorted(a, n) ? 0 : 1;
}
