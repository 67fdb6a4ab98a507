/*
 * timer_probe.c - evaluates guest-visible timers for measuring code on QEMU:
 *   SysTick (SYST_CVR) - meaningful only with QEMU -icount (virtual time = insns)
 *   DWT->CYCCNT        - cycle counter of the Data Watchpoint and Trace unit
 *
 *   targets/mcu/mcu-run.sh --qemu-arg=-icount --qemu-arg=shift=0 m4 targets/mcu/examples/timer_probe.c
 *
 * (shift=0: 1 instruction = 1 ns of virtual time; SysTick on MPS2 counts at
 * 25 MHz = one tick per 40 ns, i.e. one tick per 40 instructions.)
 */
#include <stdint.h>
#include <stdio.h>
#include "mcu_bench.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define DEMCR (*(volatile uint32_t *)0xE000EDFCu)
#define DWT_CTRL (*(volatile uint32_t *)0xE0001000u)
#define DWT_CYCCNT (*(volatile uint32_t *)0xE0001004u)

volatile uint32_t sink;

__attribute__((noinline)) void work(int n)
{
    for (int i = 0; i < n; i++) sink += (uint32_t)i; /* 5 instructions per iteration at -O2 */
}

int main(void)
{
    SYST_RVR = 0x00FFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 5; /* enable, processor clock, no interrupt */

#if __ARM_ARCH >= 7
    DEMCR |= 1u << 24;  /* TRCENA */
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;     /* CYCCNTENA */
    printf("DWT_CTRL=%08lx (NUMCOMP in [31:28]; 0 = no DWT)\n", (unsigned long)DWT_CTRL);
#endif

    for (int n = 0; n <= 4000; n += 500) {
        uint32_t c0 = DWT_CYCCNT;
        uint32_t t0 = SYST_CVR;
        MCU_REGION_BEGIN();
        work(n);
        MCU_REGION_END();
        uint32_t t1 = SYST_CVR;
        uint32_t c1 = DWT_CYCCNT;
        printf("n=%4d systick_ticks=%5lu dwt_cyccnt_delta=%lu\n", n, (unsigned long)((t0 - t1) & 0xFFFFFFu),
               (unsigned long)(c1 - c0));
    }
    return 0;
}
