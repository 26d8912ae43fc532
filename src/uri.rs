//! Connection URIs (`esx://`, `gsx://`, `vpx://`) parsed into a typed `ConnectSpec`.
//! Every rule of libvirt's ESX URI syntax, with clear errors for bad values.
