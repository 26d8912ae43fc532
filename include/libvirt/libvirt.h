/* libvirt_esx: lets code written for libvirt include <libvirt/libvirt.h> and build against
 * libvirt_esx (pkg-config --cflags libvirt_esx points at this private include directory). */
#ifndef LIBVIRT_ESX_LIBVIRT_H
#define LIBVIRT_ESX_LIBVIRT_H
#include "../libvirt_esx.h"
#endif
