/* libvirt_esx: <libvirt/virterror.h> for code written for libvirt; everything lives in
 * libvirt_esx.h. */
#ifndef LIBVIRT_ESX_VIRTERROR_H
#define LIBVIRT_ESX_VIRTERROR_H
#include "../libvirt_esx.h"
#endif
