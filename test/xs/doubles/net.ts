/** `net` (Moddable SDK): the station's MAC and address. */
const Net = {
  get(name: string): string | undefined {
    return name === "MAC" ? "A4:D1:8C:DB:C0:20" : name === "IP" ? "192.168.1.50" : undefined;
  },
};
export default Net;
