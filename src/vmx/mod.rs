//! The VMX file format and the VMX ⇄ libvirt domain conversion, as libvirt's vmx.c does it.
//! Pure and offline: datastore paths are mapped through a trait the caller provides.
