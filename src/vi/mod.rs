//! vSphere Web Services client without libvirt concepts: transport, SOAP, types, session,
//! inventory, tasks and datastore file transfer.
