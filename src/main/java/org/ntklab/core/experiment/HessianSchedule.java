package org.ntklab.core.experiment;

/** When ||H|| is measured during an experiment. */
public enum HessianSchedule {
    /** At w_0 only. */
    INIT,
    /** At w_0 and at the last step (the default). */
    INIT_AND_END,
    /** At every kernel record (step 0, every kernelEvery steps, the last step). */
    EVERY_RECORD
}
