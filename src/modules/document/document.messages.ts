// Messages of the document module (uploads, PDFs), Vietnamese and English. Pure data: the i18n
// catalogue merges them, so this file imports nothing.
export const documentVi = {
  'document.tooLarge': 'Tệp quá lớn. Dung lượng tối đa là {maxMb} MB.',
  'document.empty': 'Tệp không có nội dung (0 byte). Vui lòng chọn lại tệp.',
  'document.typeNotAllowed':
    'Tệp không đúng định dạng cho phép. Chỉ nhận: {accepted}. Hệ thống kiểm tra nội dung tệp, không dựa vào đuôi tên tệp.',
  'document.infected':
    'Tệp có dấu hiệu chứa mã độc nên không được tiếp nhận. Vui lòng kiểm tra lại bằng phần mềm diệt virus hoặc gửi tệp khác.',
  // The national name and motto that head every administrative document (Decree 30/2020/NĐ-CP).
  'document.pdf.nationalName': 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'document.pdf.motto': 'Độc lập - Tự do - Hạnh phúc',
} as const;

export const documentEn: Record<keyof typeof documentVi, string> = {
  'document.tooLarge': 'The file is too large. The maximum size is {maxMb} MB.',
  'document.empty': 'The file is empty (0 bytes). Please choose the file again.',
  'document.typeNotAllowed':
    'This file type is not accepted. Accepted: {accepted}. The system checks the content of the file, not the extension of its name.',
  'document.infected':
    'The file appears to contain malware and was not accepted. Please check it with antivirus software or send another file.',
  'document.pdf.nationalName': 'SOCIALIST REPUBLIC OF VIETNAM',
  'document.pdf.motto': 'Independence - Freedom - Happiness',
};
