// Mesa llvmpipe (rusticl's CPU device) ends a work-item's loops after 65535 iterations counted over
// all of them, silently. One work-item counts the iterations of a loop of n that reads memory.
//   gcc -o loop_limit llvmpipe_loop_limit.c -lOpenCL
//   mkdir -p /tmp/rusticl && cp /etc/OpenCL/vendors/rusticl.icd /tmp/rusticl/
//   RUSTICL_ENABLE=llvmpipe OCL_ICD_VENDORS=/tmp/rusticl ./loop_limit 131072   -> counted 65535
//   ./loop_limit 131072 (PoCL, or any device without the limit)                  -> counted 131072
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>

static const char* SOURCE =
    "__kernel void loop_limit(const int n, __global const int* ones, __global int* count) {\n"
    "    int c = 0;\n"
    "    for (int i = 0; i < n; i++) c += ones[i & 1];\n"
    "    count[0] = c;\n"
    "}\n";

int main(int argc, char** argv) {
    int n = argc > 1 ? atoi(argv[1]) : 131072, ones[2] = {1, 1}, count = 0;
    cl_platform_id platform;
    cl_device_id device;
    cl_int err;
    clGetPlatformIDs(1, &platform, NULL);
    clGetDeviceIDs(platform, 0xFFFFFFFF, 1, &device, NULL); // CL_DEVICE_TYPE_ALL as a 32-bit mask
    cl_context ctx = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
    cl_command_queue queue = clCreateCommandQueue(ctx, device, 0, &err);
    cl_program program = clCreateProgramWithSource(ctx, 1, &SOURCE, NULL, &err);
    clBuildProgram(program, 1, &device, "-cl-std=CL1.2", NULL, NULL);
    cl_kernel kernel = clCreateKernel(program, "loop_limit", &err);
    cl_mem bOnes = clCreateBuffer(ctx, CL_MEM_COPY_HOST_PTR, sizeof ones, ones, &err);
    cl_mem bCount = clCreateBuffer(ctx, CL_MEM_READ_WRITE, sizeof count, NULL, &err);
    clSetKernelArg(kernel, 0, sizeof n, &n);
    clSetKernelArg(kernel, 1, sizeof bOnes, &bOnes);
    clSetKernelArg(kernel, 2, sizeof bCount, &bCount);
    size_t one = 1;
    clEnqueueNDRangeKernel(queue, kernel, 1, NULL, &one, &one, 0, NULL, NULL);
    clEnqueueReadBuffer(queue, bCount, CL_TRUE, 0, sizeof count, &count, 0, NULL, NULL);
    printf("n %d: counted %d\n", n, count);
    return count == n ? 0 : 1;
}
