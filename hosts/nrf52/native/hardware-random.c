/*
 * The nRF52's hardware RNG for JavaScript, through XS FFI (hosts/nrf52/manifest.json,
 * ffi.functions.dl_hardware_random). Moddable offers no JavaScript access to it.
 *
 * While the SoftDevice runs (BLE on) the RNG peripheral belongs to it and hands out bytes from
 * a small pool; this returns what the pool has, possibly 0. Without the SoftDevice the
 * peripheral is read directly with bias correction on, up to 64 bytes per call (about 120 us a
 * byte). Returns the number of bytes written at buffer + offset.
 */
#include <stdint.h>
#include "nrf.h"
#include "nrf_soc.h"

extern uint8_t nrf52_softdevice_enabled(void);

#define kMaxDirectBytes (64)

uint32_t dl_hardware_random(uint8_t *buffer, uint32_t offset, uint32_t length)
{
	uint8_t *out = buffer + offset;

	if (nrf52_softdevice_enabled()) {
		uint8_t available = 0;
		if (NRF_SUCCESS != sd_rand_application_bytes_available_get(&available))
			return 0;
		if (available > length)
			available = (uint8_t)length;
		if (0 == available)
			return 0;
		if (NRF_SUCCESS != sd_rand_application_vector_get(out, available))
			return 0;
		return available;
	}

	if (length > kMaxDirectBytes)
		length = kMaxDirectBytes;
	NRF_RNG->CONFIG = RNG_CONFIG_DERCEN_Msk;
	NRF_RNG->EVENTS_VALRDY = 0;
	NRF_RNG->TASKS_START = 1;
	for (uint32_t i = 0; i < length; i++) {
		while (0 == NRF_RNG->EVENTS_VALRDY)
			;
		NRF_RNG->EVENTS_VALRDY = 0;
		out[i] = (uint8_t)NRF_RNG->VALUE;
	}
	NRF_RNG->TASKS_STOP = 1;
	return length;
}
