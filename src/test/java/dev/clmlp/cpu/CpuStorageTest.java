package dev.clmlp.cpu;

import dev.clmlp.tensor.DType;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.*;

class CpuStorageTest {
    /** Under -XX:ObjectAlignmentInBytes=64 (the launcher's and this suite's setting) element 0 starts a cache line; else no padding. */
    @Test
    void tensorsStartOnACacheLineWhenTheJvmAlignsObjectsTo64Bytes() throws ReflectiveOperationException {
        var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        int objects = Integer.parseInt(vm.getVMOption("ObjectAlignmentInBytes").getValue());
        int data = Class.forName("sun.misc.Unsafe").getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        CpuStorage f = new CpuStorage(DType.FLOAT32, 10), i = new CpuStorage(DType.INT32, 10), b = new CpuStorage(DType.UINT8, 10);
        if (objects % 64 == 0) {
            assertEquals(0, (data + 4 * f.base) % 64, "float data offset " + data + " + base " + f.base);
            assertEquals(f.base, i.base);
        } else {
            assertEquals(0, f.base);
        }
        assertEquals(10 + f.base, f.f.length);
        assertEquals(0, b.base, "pixels are read 16 bytes at a time: not padded");
        assertEquals(0, new CpuStorage(new float[3]).base, "a shared host array is used as it is");
    }
}
