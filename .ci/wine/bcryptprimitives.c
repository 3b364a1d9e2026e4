/* Wine 8 has no bcryptprimitives.dll; Rust's std (>= 1.78, inside python-calamine) gets its random
   bytes from ProcessPrng there. This stand-in answers from RtlGenRandom (advapi32). Wine only: a
   real Windows 10/11 has the DLL. Built by .ci/wine-build.sh with x86_64-w64-mingw32-gcc. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!RtlGenRandom(data, chunk)) return FALSE;
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
